"""The dashboard domain: sources (the manufacturer portal's reports)."""
