"""Business logic and data access behind the graph: loaders, pagination, mutations."""
