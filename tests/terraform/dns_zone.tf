# needs: CreateDomain, CreateDomainEntry, DeleteDomainEntry
# A DNS zone with entries of several types, one named relative to the zone as Terraform allows.
# check: tests.terraform_checks.dns_zone

resource "aws_lightsail_domain" "site" {
  domain_name = "example.com"
}

resource "aws_lightsail_domain_entry" "apex" {
  domain_name = aws_lightsail_domain.site.domain_name
  name        = ""
  type        = "A"
  target      = "192.0.2.10"
}

resource "aws_lightsail_domain_entry" "www" {
  domain_name = aws_lightsail_domain.site.domain_name
  name        = "www"
  type        = "CNAME"
  target      = "example.com"
}

resource "aws_lightsail_domain_entry" "spf" {
  domain_name = aws_lightsail_domain.site.domain_name
  name        = "_dmarc"
  type        = "TXT"
  target      = "\"v=DMARC1; p=none\""
}

resource "aws_lightsail_domain_entry" "mail" {
  domain_name = aws_lightsail_domain.site.domain_name
  name        = ""
  type        = "MX"
  target      = "10 mail.example.com"
}
