# needs: CreateDisk, AttachDisk, DetachDisk, DeleteDisk, StopInstance, StartInstance
# An instance with a block storage disk attached: the provider stops the instance to detach
# the disk on destroy, and starts it again.
# check: tests.terraform_checks.disks

resource "aws_lightsail_instance" "db_host" {
  name              = "db-host"
  availability_zone = "us-east-1a"
  blueprint_id      = "ubuntu_22_04"
  bundle_id         = "nano_3_0"
}

resource "aws_lightsail_disk" "data" {
  name              = "data"
  availability_zone = "us-east-1a"
  size_in_gb        = 32
  tags = {
    team = "db"
  }
}

resource "aws_lightsail_disk_attachment" "data" {
  disk_name     = aws_lightsail_disk.data.name
  instance_name = aws_lightsail_instance.db_host.name
  disk_path     = "/dev/xvdf"
}
