"""Speech practice that listens: a recorded talk measured for pace, pauses, pitch variety and filler words.

- ``intake``: checks an uploaded recording by its content (ffprobe) and converts it to 16 kHz mono WAV (ffmpeg).
- ``acoustics``: what the audio alone tells (voice activity, pauses, pitch variety, loudness); stored per recording.
- ``language``: what the transcript tells (pace, filler words, repeats, hedges); derived whenever shown.
- ``transcription``: the pluggable transcription backend (``none`` | ``openai``).
- ``targets``: the target bands every other part reads (feedback, rubric, progress charts).
- ``rubric``: how a milestone attempt is scored from self-scores, measures and a teacher's review.
- ``feedback``: each measure with what it means and one concrete suggestion.
- ``charts``: the timeline of speech and pauses and the progress charts, drawn as SVG.
- ``topics``: impromptu topics written for this project.
"""
