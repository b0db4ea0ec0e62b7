"""The county server (县级服务端) that village laptops sync with."""
