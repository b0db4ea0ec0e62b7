"""Pure rules of the scheme (ID numbers, money, policy packs, pension arithmetic, masking).

Nothing here imports Qt, SQLAlchemy or anything else of ours, and nothing does I/O.
"""
