"""Common English words for letter-counting phrases: plain, lower-case, no proper nouns, so the
only skill involved is scanning letters, never knowing a spelling that is not shown."""

from __future__ import annotations

_TEXT = """
apple banana cherry grape lemon mango melon orange peach pear plum berry strawberry
blueberry raspberry coconut pepper tomato potato carrot onion garlic cabbage lettuce
bread butter cheese coffee sugar honey pasta rice soup salad cookie pizza noodle
river mountain valley forest desert island ocean meadow canyon glacier volcano prairie
window kitchen bedroom garden hallway balcony cellar attic ceiling doorway staircase
pencil eraser notebook scissors stapler marker folder ruler paper letter envelope
rabbit kitten puppy turtle parrot giraffe elephant monkey donkey squirrel hedgehog
butterfly mosquito beetle spider lizard dolphin penguin pelican falcon sparrow
summer winter spring autumn morning evening midnight tomorrow yesterday weekend
happy sunny quiet gentle bright little yellow purple silver golden velvet crimson
travel journey harbor bridge tunnel railway airport station ticket suitcase passport
teacher doctor farmer baker sailor painter writer singer dancer barber plumber
hammer ladder bucket shovel basket blanket pillow mirror bottle kettle candle
cotton wool silk leather paper marble copper timber granite pebble crystal
guitar violin trumpet piano cello banjo drum flute harp tambourine
football tennis hockey soccer cricket baseball volleyball bowling skiing swimming
chess puzzle riddle secret message mystery treasure lantern compass anchor
thunder lightning rainbow blizzard drizzle breeze tornado sunshine shadow
pebble sandcastle seashell lighthouse waterfall campfire cottage village
question answer number pattern problem success balloon necessary committee
address accommodate bookkeeper parallel occurrence embarrass
"""

WORDS: tuple[str, ...] = tuple(dict.fromkeys(_TEXT.split()))
