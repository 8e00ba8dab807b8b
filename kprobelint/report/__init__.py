"""Output formats: text, json, sarif and github; formatting only, no rule logic."""
