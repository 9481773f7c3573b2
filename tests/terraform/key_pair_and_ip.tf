# needs: CreateKeyPair, AllocateStaticIp
# A small configuration of families already on the layer: it keeps the harness itself tested.
# check: tests.terraform_checks.key_pair_and_ip

resource "aws_lightsail_key_pair" "ops" {
  name = "ops"
}

resource "aws_lightsail_static_ip" "spare" {
  name = "spare"
}
