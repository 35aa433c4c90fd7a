"""Deployment: the replica set behind nginx (`deploy/serve.py`) and configuration a hosting team can copy."""
