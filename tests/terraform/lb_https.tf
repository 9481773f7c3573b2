# needs: CreateLoadBalancerTlsCertificate, AttachLoadBalancerTlsCertificate, UpdateLoadBalancerAttribute, CreateDomainEntry
# HTTPS on a load balancer: a certificate validated through a DNS zone, attached, HTTPS
# redirection on and session stickiness for 15 minutes.
# check: tests.terraform_checks.lb_https

resource "aws_lightsail_domain" "site" {
  domain_name = "example.com"
}

resource "aws_lightsail_lb" "front" {
  name              = "front"
  instance_port     = 80
  health_check_path = "/"
}

resource "aws_lightsail_lb_certificate" "front" {
  lb_name     = aws_lightsail_lb.front.name
  name        = "front-cert"
  domain_name = "example.com"
}

resource "aws_lightsail_domain_entry" "validation" {
  domain_name = aws_lightsail_domain.site.domain_name
  name        = trimsuffix(tolist(aws_lightsail_lb_certificate.front.domain_validation_records)[0].resource_record_name, ".example.com.")
  type        = tolist(aws_lightsail_lb_certificate.front.domain_validation_records)[0].resource_record_type
  target      = tolist(aws_lightsail_lb_certificate.front.domain_validation_records)[0].resource_record_value
}

resource "aws_lightsail_lb_certificate_attachment" "front" {
  lb_name          = aws_lightsail_lb.front.name
  certificate_name = aws_lightsail_lb_certificate.front.name
  depends_on       = [aws_lightsail_domain_entry.validation]
}

resource "aws_lightsail_lb_https_redirection_policy" "front" {
  lb_name    = aws_lightsail_lb.front.name
  enabled    = true
  depends_on = [aws_lightsail_lb_certificate_attachment.front]
}

resource "aws_lightsail_lb_stickiness_policy" "front" {
  lb_name         = aws_lightsail_lb.front.name
  cookie_duration = 900
  enabled         = true
}
