"""Low-level analyses of fine-tuned checkpoints (DESIGN section 8): what changed in the weights
(`params`), where the next-token distributions moved (`tokens`), how the hidden states moved and
what they encode (`latents`), which sparse features carry each behavior (`sae`), what the outputs
look like (`outputs`), and which of these numbers predicts a skill's loss (`predictors`).

Every analysis is a library function returning plain data; `study.analyze_study` runs them all
over a base and its checkpoints. Submodules import torch only where they need it, so importing
this package stays cheap.
"""
