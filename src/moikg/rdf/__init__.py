"""RDF vocabulary shared by every stage: namespaces and prefixes."""
