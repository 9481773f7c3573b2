# needs: CreateContainerService, CreateContainerServiceDeployment, GetContainerServiceDeployments
# A container service and a deployment of a public image (docs/service-reference.md §22).
# check: tests.terraform_checks.container_services

resource "aws_lightsail_container_service" "web" {
  name  = "tf-web"
  power = "nano"
  scale = 1
  tags = {
    team = "web"
  }
}

resource "aws_lightsail_container_service_deployment_version" "web" {
  service_name = aws_lightsail_container_service.web.name

  container {
    container_name = "app"
    image          = "nginx:latest"
    command        = []
    environment = {
      MODE = "production"
    }
    ports = {
      80 = "HTTP"
    }
  }

  public_endpoint {
    container_name = "app"
    container_port = 80
    health_check {
      healthy_threshold   = 2
      unhealthy_threshold = 2
      timeout_seconds     = 2
      interval_seconds    = 5
      path                = "/"
      success_codes       = "200-499"
    }
  }
}
