# needs: CreateDomain, CreateDomainEntry, CreateCertificate, GetCertificates, DeleteCertificate
# A certificate validated through a DNS zone: its validation record made from the certificate's
# own domain_validation_options (the provider keeps an entry name relative to its zone).
# check: tests.terraform_checks.certificate

resource "aws_lightsail_domain" "site" {
  domain_name = "example.com"
}

resource "aws_lightsail_certificate" "site" {
  name        = "site"
  domain_name = "example.com"
  tags = {
    team = "web"
  }
}

resource "aws_lightsail_domain_entry" "validation" {
  domain_name = aws_lightsail_domain.site.domain_name
  name        = trimsuffix(tolist(aws_lightsail_certificate.site.domain_validation_options)[0].resource_record_name, ".example.com.")
  type        = tolist(aws_lightsail_certificate.site.domain_validation_options)[0].resource_record_type
  target      = tolist(aws_lightsail_certificate.site.domain_validation_options)[0].resource_record_value
}
