"""The notifications domain: rules (reading and marking a viewer's notifications)."""
