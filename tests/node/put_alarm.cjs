// Puts an alarm through @aws-sdk/client-lightsail and prints what the service answered.
// Region, credentials and the endpoint (AWS_ENDPOINT_URL_LIGHTSAIL) come from the environment.
const {
  LightsailClient,
  PutAlarmCommand,
  GetAlarmsCommand,
  GetInstanceCommand,
} = require("@aws-sdk/client-lightsail");

async function main() {
  const client = new LightsailClient({});
  await client.send(
    new PutAlarmCommand({
      alarmName: "cpu-high",
      metricName: "CPUUtilization",
      monitoredResourceName: "web-1",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 90,
      evaluationPeriods: 2,
    }),
  );
  const { alarms } = await client.send(new GetAlarmsCommand({ alarmName: "cpu-high" }));
  let missing = null;
  try {
    await client.send(new GetInstanceCommand({ instanceName: "nope" }));
  } catch (error) {
    missing = error.name;
  }
  console.log(JSON.stringify({ state: alarms[0].state, missing }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
