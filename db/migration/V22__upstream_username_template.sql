-- Upstream sessions: the username an upstream exit receives may be a template rendered per
-- connection from the proxy username's routing ({user}, {session}, {country}, {ttl}), e.g.
-- acct42-session-{session}-country-{country}. NULL: the exit's fixed username is sent.
-- Exits created by a provider inherit the provider's template.
ALTER TABLE exit_node ADD COLUMN upstream_username_template VARCHAR(255);
ALTER TABLE provider ADD COLUMN upstream_username_template VARCHAR(255);
