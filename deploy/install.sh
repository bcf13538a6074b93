#!/bin/sh
# install.sh BINARY UNIT: installs edgeconv on a Raspberry Pi as a systemd
# service. Run as root on the Pi; 'make deploy PI=user@host' copies the
# files over and runs it with sudo.
set -eu
bin=${1:?usage: install.sh BINARY UNIT}
unit=${2:?usage: install.sh BINARY UNIT}

# The service's own user, in the groups that own the camera, GPIO and I2C
# devices (groups that do not exist on this OS are skipped).
if ! id edgeconv >/dev/null 2>&1; then
	useradd --system --no-create-home --home-dir /var/lib/edgeconv --shell /usr/sbin/nologin edgeconv
fi
for g in video gpio i2c; do
	if getent group "$g" >/dev/null; then
		usermod -a -G "$g" edgeconv
	else
		echo "install.sh: no group $g on this system (enable I2C with: raspi-config nonint do_i2c 0)" >&2
	fi
done

install -m 0755 "$bin" /usr/local/bin/edgeconv.new
mv /usr/local/bin/edgeconv.new /usr/local/bin/edgeconv
install -m 0644 "$unit" /etc/systemd/system/edgeconv.service
systemctl daemon-reload
systemctl enable edgeconv.service >/dev/null
systemctl restart edgeconv.service
sleep 2
systemctl --no-pager --lines=5 status edgeconv.service || true
/usr/local/bin/edgeconv version
