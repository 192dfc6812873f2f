"""Language-model engines behind one protocol: local (llama-cpp-python) and remote (HTTP)."""

import os

# llama.cpp's CPU backend is built with OpenMP, whose threads spin while they wait. When
# the cores are shared (other programs, our own GUI and stream threads), the spinning
# threads take the CPU from the ones with work: on a busy 2-core machine, 2 threads
# decoded 1.7 tokens/s spinning and 10-16 passive, and read prompts 3-6x faster
# (docs/PERFORMANCE.md). Set before llama_cpp is imported (OpenMP reads it once);
# a value already set by the user or an administrator wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
