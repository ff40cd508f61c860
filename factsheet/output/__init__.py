"""Stage 4, output: render each view to HTML and PDF from one template source, draw its
pictures, and write files atomically inside output/."""
