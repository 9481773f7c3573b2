# needs: CreateInstances, EnableAddOn, DeleteInstance
# An instance with automatic snapshots (an add_on block): the provider enables the add-on
# after the create, reads it back, and deletes with forceDeleteAddOns.
# check: tests.terraform_checks.instance_auto_snapshot

resource "aws_lightsail_instance" "backed_up" {
  name              = "backed-up"
  availability_zone = "us-east-1a"
  blueprint_id      = "ubuntu_22_04"
  bundle_id         = "nano_3_0"
  add_on {
    type          = "AutoSnapshot"
    snapshot_time = "06:00"
    status        = "Enabled"
  }
}
