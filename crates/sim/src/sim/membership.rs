//! Membership changes in the simulated world (§6): a new server S(n+1) starts empty
//! and the leader adds it (a learner first, a voter once caught up); the leader takes
//! a server out. A removed server keeps running until it is stopped, as in a real
//! deployment, and cannot disrupt the cluster.

use super::types::Server;
use super::{ActionError, MembershipRefusal, Simulation, node_seed};
use crate::Command;
use crate::config::MAX_NODES;
use raft_core::{Change, Node, NodeId};

impl Simulation {
    /// Adds server S(n+1), empty, and asks leader `leader` to bring it in.
    pub(super) fn add_server(&mut self, leader: NodeId) -> Result<NodeId, ActionError> {
        let i = self.live_node(leader)?;
        if self.servers.len() >= MAX_NODES {
            return Err(ActionError::Membership(MembershipRefusal::Full));
        }
        let id = self.servers.len() as NodeId + 1;
        let s = &mut self.servers[i];
        s.node
            .change_membership(s.clock.local(self.now), Change::Add(id))
            .map_err(|e| ActionError::Membership(MembershipRefusal::Refused(leader, e)))?;
        let clock = super::Clock::new(0);
        let node = Node::joining(
            id,
            self.config.raft.clone(),
            node_seed(self.seed, id, 0),
            clock.local(self.now),
        )
        .map_err(|e| ActionError::Membership(MembershipRefusal::NewServer(e.to_string())))?
        .with_no_op(Command::Noop);
        self.servers.push(Server::new(clock, node));
        self.checker.add_server();
        self.stats.changes.0 += 1;
        self.settle(id);
        self.settle(leader);
        Ok(id)
    }

    /// Asks leader `leader` to take `server` out of the configuration.
    pub(super) fn remove_server(
        &mut self,
        leader: NodeId,
        server: NodeId,
    ) -> Result<(), ActionError> {
        let i = self.live_node(leader)?;
        self.check_node(server)?;
        let s = &mut self.servers[i];
        s.node
            .change_membership(s.clock.local(self.now), Change::Remove(server))
            .map_err(|e| ActionError::Membership(MembershipRefusal::Refused(leader, e)))?;
        self.stats.changes.1 += 1;
        self.settle(leader);
        Ok(())
    }
}
