"""The catalog slice of the graph: families, categories, products, variants, manufacturers."""
