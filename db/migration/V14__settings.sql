-- Settings changed at run time through the API and shared by every node (e.g. the panel whitelist).
CREATE TABLE setting (
    name       VARCHAR(64)   NOT NULL PRIMARY KEY,
    setting_value VARCHAR(4000) NOT NULL,
    updated_by VARCHAR(128),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
