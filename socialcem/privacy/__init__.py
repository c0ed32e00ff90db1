"""Privacy: redaction of personal data in stored text, erasure of one author's data on
request, and retention limits per source."""
