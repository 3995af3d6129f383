"""The dashboard (issue 16): tiles and charts made of report tables; no report maths of its own."""
