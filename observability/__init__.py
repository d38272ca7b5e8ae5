"""What an operator sees of a running process: metrics (`metrics`), structured logs
(`logs`), traces (`tracing`). The lowest layer beside `domain`: the app's layers call into
it through generic hooks (per operation, per SQL statement, per subscription), so every
domain is measured, logged and traced without code of its own."""
