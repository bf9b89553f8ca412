"""Files in and out: protocol, catalogue and checklist files, answers, inputs, atomic writes."""
