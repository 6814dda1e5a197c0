-- Which node holds each tunnel agent's WebSocket (issue 11, item 6). A mapping's public port is
-- bound only on that node while the agent is connected to a live node; while the agent is offline
-- (no row, or its node's heartbeat in cluster_node is older than 15 s) every node binds it and
-- refuses connections at once. Written on connect, cleared on disconnect (only by the node that
-- wrote it), re-asserted by the holder at every refresh.
ALTER TABLE tunnel_agent ADD COLUMN connected_node VARCHAR(64);
ALTER TABLE tunnel_agent ADD COLUMN connected_at TIMESTAMP WITH TIME ZONE;
