# Starts a long-lived child, records its pid, and waits: for killing whole process trees.
sleep 300 &
echo "$!" > "$KASHA_CHECKPOINT_OUT/child.pid"
echo 'kasha: {"resource": 1, "metrics": {"loss": 1}}'
wait
