"""Readers: files as people and other systems write them in, plain values and facts out."""
