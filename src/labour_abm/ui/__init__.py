"""What users see: the command line (:mod:`.cli`), the HTML report (:mod:`.report`) and the
interactive dashboard (:mod:`.dashboard`). The top layer: it may use every layer below."""
