#!/usr/bin/env sh
# The README's example patient, in each output format.
set -e
ivig-dose plan --weight 70 --start 2027-01-04
ivig-dose plan --weight 70 --start 2027-01-04 --format json
ivig-dose plan --weight 70 --start 2027-01-04 --format csv
ivig-dose plan --weight 70 --start 2027-01-04 --blinded
