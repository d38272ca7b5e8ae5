"""Finance: manufacturer payables (SPEC §1.8, BR-24..BR-32)."""
