# needs: CreateRelationalDatabase, UpdateRelationalDatabase, DeleteRelationalDatabase
# A PostgreSQL database created without backups: the provider disables them by an update
# right after the create, then waits for backupRetentionEnabled to read false. (A database
# changed in place is tests/test_terraform_updates.py's "database-settings".)
# check: tests.terraform_checks.database_postgres

resource "aws_lightsail_database" "reports" {
  relational_database_name     = "reports-db"
  availability_zone            = "us-east-1b"
  master_database_name         = "reports"
  master_password              = "reports-password-1"
  master_username              = "reporter"
  blueprint_id                 = "postgres_16"
  bundle_id                    = "small_2_0"
  backup_retention_enabled     = false
  preferred_maintenance_window = "Tue:17:00-Tue:17:30"
  apply_immediately            = true
  skip_final_snapshot          = true
}
