# needs: CreateBucket, CreateBucketAccessKey, SetResourceAccessForBucket, CreateInstances
# A bucket with an access key, and an instance given access to it (docs/service-reference.md §21).
# check: tests.terraform_checks.buckets

resource "aws_lightsail_bucket" "assets" {
  name      = "lightmock-tf-assets"
  bundle_id = "small_1_0"
  tags = {
    team = "web"
  }
}

resource "aws_lightsail_bucket_access_key" "deploy" {
  bucket_name = aws_lightsail_bucket.assets.name
}

resource "aws_lightsail_instance" "web" {
  name              = "tf-web-1"
  availability_zone = "us-east-1a"
  blueprint_id      = "ubuntu_22_04"
  bundle_id         = "nano_3_0"
}

resource "aws_lightsail_bucket_resource_access" "web" {
  bucket_name   = aws_lightsail_bucket.assets.name
  resource_name = aws_lightsail_instance.web.name
}
