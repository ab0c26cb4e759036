"""The labs' models: small models trained live on synthetic tasks, and the textbook constructions, all without Qt."""
