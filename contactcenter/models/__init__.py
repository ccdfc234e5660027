from contactcenter.models.channels import ContactChannel, host_allowed, validate_health_url

__all__ = ["ContactChannel", "host_allowed", "validate_health_url"]
