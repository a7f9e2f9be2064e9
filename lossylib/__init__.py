"""lossylib."""
