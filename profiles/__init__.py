"""Built-in device profiles (YAML files beside this module)."""
