"""All models, imported here so that `Base.metadata` is complete for Alembic."""

from db.models.api_key import ApiKey
from db.models.audit import AuditLog
from db.models.catalog import Category, Product, ProductFamily, ProductFamilyManufacturer, Variant
from db.models.manufacturer import Manufacturer

__all__ = [
    "ApiKey",
    "AuditLog",
    "Category",
    "Manufacturer",
    "Product",
    "ProductFamily",
    "ProductFamilyManufacturer",
    "Variant",
]
