# needs: CreateDistribution, GetDistributions, UpdateDistribution, DeleteDistribution
# A CDN distribution in front of an instance, with cache settings and a per-path behaviour.
# check: tests.terraform_checks.distribution

resource "aws_lightsail_instance" "origin" {
  name              = "origin"
  availability_zone = "us-east-1a"
  blueprint_id      = "ubuntu_22_04"
  bundle_id         = "nano_3_0"
}

resource "aws_lightsail_distribution" "cdn" {
  name      = "cdn"
  bundle_id = "small_1_0"
  origin {
    name            = aws_lightsail_instance.origin.name
    region_name     = "us-east-1"
    protocol_policy = "http-only"
  }
  default_cache_behavior {
    behavior = "cache"
  }
  cache_behavior_settings {
    allowed_http_methods = "GET,HEAD,OPTIONS"
    cached_http_methods  = "GET,HEAD"
    default_ttl          = 86400
    maximum_ttl          = 31536000
    forwarded_cookies {
      option = "none"
    }
    forwarded_query_strings {
      option = false
    }
  }
  cache_behavior {
    path     = "/static/*"
    behavior = "cache"
  }
  tags = {
    team = "web"
  }
}
