"""Catalog mutations: families, their manufacturers, categories, products, variants."""
