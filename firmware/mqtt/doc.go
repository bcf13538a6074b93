// Package mqtt publishes what `edgeconv run` reads to an MQTT broker
// (Mosquitto, EMQX; Home Assistant reads it), through the Eclipse Paho
// client: a Publisher is a firmware.Output.
//
// # Topics
//
// Under PREFIX/DEVICE/ ("edgeconv/DEVICE/" by default):
//
//	reading       each change of the stable reading, as the JSON line of
//	              `run --json` (time, frame, text, confidence, digits)
//	availability  "online" on connecting, "offline" as the last will and
//	              on a clean stop
//	model         the model running and every switch or rejection
//	camera        {"ok":false,"error":"..."} while the camera fails
//	stats         the loop's statistics, every minute (not retained)
//
// Every message is sent with QoS 1; all but the statistics are retained,
// so that a consumer that connects later gets the last reading, the model
// and whether the device is up. With a discovery prefix
// ("homeassistant"), HA/sensor/DEVICE/reading/config announces the
// reading as a sensor (state: the text; attributes: the rest of the JSON;
// unavailable while offline), so that it appears with no configuration.
//
// # Never waiting in the camera loop
//
// Frame, Status and Model copy their message into a bounded queue (Options.Queue, 1000
// by default) and return: the camera loop never waits for the network, and
// Frame allocates nothing once the queue's slots have held a reading. The
// publisher's goroutine sends the queue in order, one message at a time,
// each removed once the broker acknowledged it (PUBACK), so that a
// connection lost mid-message sends that message again and nothing is
// reordered. When the broker is away, it connects again with back-off
// (doubling from Options.MinBackoff to MaxBackoff) and the queue fills;
// when full, the oldest message is dropped and counted (State.Dropped).
// A broker that refuses the user name or password at the start is an error
// (ErrRefused), not something to retry: Start returns it. An outage is
// logged once at its start and once at its end, never per attempt.
//
// QoS 1 means at least once: a broker that dies between forwarding a
// message and acknowledging it gets it again after the restart. Each
// reading carries its frame number, which tells such a copy apart.
package mqtt
