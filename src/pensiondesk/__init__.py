"""PensionDesk (城乡居保村级工作台): offline-first desktop client for village pension coordinators."""

__version__ = "0.1.0"
