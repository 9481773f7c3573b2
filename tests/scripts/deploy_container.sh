#!/usr/bin/env bash
# Deploy an image to a new Lightsail container service with the AWS CLI, the way a release
# script does: create the service, wait until it is READY, deploy, wait until the deployment
# is ACTIVE, then print the service's public URL and its container's log.
#
#   deploy_container.sh SERVICE IMAGE
#
# The endpoint comes from the environment (AWS_ENDPOINT_URL), as for any AWS CLI command.
set -euo pipefail
service=$1
image=$2
poll=${POLL_SECONDS:-1}

state() {
    aws lightsail get-container-services --service-name "$service" \
        --query 'containerServices[0].state' --output text
}

aws lightsail create-container-service --service-name "$service" --power nano --scale 1 >/dev/null
until [ "$(state)" = READY ]; do sleep "$poll"; done

version=$(aws lightsail create-container-service-deployment --service-name "$service" \
    --containers "{\"app\": {\"image\": \"$image\", \"ports\": {\"80\": \"HTTP\"}}}" \
    --public-endpoint '{"containerName": "app", "containerPort": 80}' \
    --query 'containerService.nextDeployment.version' --output text)
deployment_state() {
    aws lightsail get-container-service-deployments --service-name "$service" \
        --query "deployments[?version==\`$version\`].state | [0]" --output text
}
while :; do
    current=$(deployment_state)
    [ "$current" = ACTIVE ] && break
    if [ "$current" = FAILED ]; then
        echo "deployment $version failed" >&2
        exit 1
    fi
    sleep "$poll"
done

echo "url: $(aws lightsail get-container-services --service-name "$service" \
    --query 'containerServices[0].url' --output text)"
aws lightsail get-container-log --service-name "$service" --container-name app \
    --query 'logEvents[].message' --output text
