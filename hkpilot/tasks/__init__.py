"""Drafting, translation and summarisation: prompts, chunking, map-reduce. Pure Python."""
