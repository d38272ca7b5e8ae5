"""Business definitions that do not depend on GraphQL or on the database driver."""
