"""Stage 3, build: compose one view per handout, jurisdiction and level, decide what must
be rebuilt and why (the build record in output/manifest.json), and drive the whole
pipeline, including watch mode."""
