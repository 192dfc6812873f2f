"""Language-model engines behind one protocol: local (llama-cpp-python) and remote (HTTP)."""
