"""ivig-dose: a body weight in, a complete and checked IVIg treatment plan out."""

__version__ = "0.1.0"
