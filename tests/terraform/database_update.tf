# needs: CreateRelationalDatabase, UpdateRelationalDatabase, DeleteRelationalDatabase
# A MySQL database changed in place: access, backup retention, windows and master password.
# check: tests.terraform_checks.database_update_before
# update: = false # access => = true # access, = true # backups => = false # backups, 16:00-16:30 => 09:30-10:00, first-password-1 => second-password-2
# then: tests.terraform_checks.database_update_after

resource "aws_lightsail_database" "app" {
  relational_database_name = "app-db"
  availability_zone        = "us-east-1a"
  master_database_name     = "app"
  master_password          = "first-password-1"
  master_username          = "dbmaster"
  blueprint_id             = "mysql_8_0"
  bundle_id                = "micro_2_0"
  publicly_accessible      = false # access
  backup_retention_enabled = true # backups
  preferred_backup_window  = "16:00-16:30"
  apply_immediately        = true
  skip_final_snapshot      = true
  tags = {
    team = "data"
  }
}
