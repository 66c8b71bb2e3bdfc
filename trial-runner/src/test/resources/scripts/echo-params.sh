# Uses the parameters only as data: copies them, quoted, into the checkpoint directory.
printf '%s' "$KASHA_PARAMS" > "$KASHA_CHECKPOINT_OUT/params.json"
echo "kasha: {\"resource\": $KASHA_RESOURCE_TO, \"metrics\": {\"loss\": 1}}"
